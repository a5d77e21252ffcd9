package io.vippanel.identity.web;

import io.vippanel.tenancy.Actor;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** How the panel represents a signed-in actor to Spring Security. */
public final class SignedIn {

    /** Granted once the user has passed every required factor; enrolling users lack it. */
    public static final String FULL_ACCESS = "FULL_ACCESS";
    public static final String ENROLLING = "ENROLLING";

    private SignedIn() {
    }

    public static Authentication authentication(Actor actor, boolean mustEnrol) {
        return UsernamePasswordAuthenticationToken.authenticated(actor, null,
                List.of(new SimpleGrantedAuthority(mustEnrol ? ENROLLING : FULL_ACCESS)));
    }

    /** Whether the signed-in user still has to enrol in 2FA before doing anything else. */
    public static boolean isEnrolling() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream().anyMatch(a -> ENROLLING.equals(a.getAuthority()));
    }

    /** The current actor, when the request is signed in. */
    public static java.util.Optional<Actor> currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Actor actor
                ? java.util.Optional.of(actor) : java.util.Optional.empty();
    }
}
