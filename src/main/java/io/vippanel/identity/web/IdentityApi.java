package io.vippanel.identity.web;

import io.vippanel.identity.ApiToken;
import io.vippanel.identity.Credentials;
import io.vippanel.identity.UserAccount;
import io.vippanel.identity.Users;
import io.vippanel.platform.Validation;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Role;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/me}, {@code /api/v1/users} and {@code /api/v1/tokens}. */
@RestController
@RequestMapping("/api/v1")
class IdentityApi {

    record Me(String id, String email, String displayName, String role, String tenantId) {
    }

    record UserJson(String id, String tenantId, String email, String displayName, String role, String status,
                    boolean twoFactorEnabled, @Nullable Instant lastLoginAt, Instant createdAt) {
        static UserJson of(UserAccount user) {
            return new UserJson(user.id(), user.tenantId(), user.email(), user.displayName(), user.role().dbValue(),
                    user.status().dbValue(), user.twoFactorEnabled(), user.lastLoginAt(), user.createdAt());
        }
    }

    record InviteUser(@Nullable String tenantId, @Nullable String email, @Nullable String displayName, @Nullable String role) {
    }

    record Invited(UserJson user, String inviteLink, boolean mailed) {
    }

    private final Users users;
    private final Credentials credentials;

    IdentityApi(Users users, Credentials credentials) {
        this.users = users;
        this.credentials = credentials;
    }

    @GetMapping("/me")
    Me me(@AuthenticationPrincipal Actor actor) {
        return new Me(actor.userId(), actor.email(), actor.displayName(), actor.role().dbValue(), actor.tenantId());
    }

    @GetMapping("/users")
    List<UserJson> list(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String tenantId,
                        @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        Validation.requirePage(limit, offset, 500);
        return users.list(actor, tenantId, limit, offset).stream().map(UserJson::of).toList();
    }

    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    Invited invite(@AuthenticationPrincipal Actor actor, @RequestBody InviteUser request) {
        Validation validation = new Validation();
        String email = validation.email("email", request.email());
        String name = validation.requiredText("displayName", request.displayName(), 120);
        String tenantId = validation.requiredText("tenantId", request.tenantId(), 40);
        Role role = null;
        if (request.role() != null && !request.role().isBlank()) {
            try {
                role = Role.parse(request.role());
            } catch (IllegalArgumentException e) {
                validation.reject("role", e.getMessage());
            }
        }
        validation.throwIfInvalid();
        Users.Invitation invitation = users.invite(actor, tenantId, email, name, role);
        return new Invited(UserJson.of(invitation.user()), invitation.link(), invitation.mailed());
    }

    @GetMapping("/users/{id}")
    UserJson get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return UserJson.of(users.get(actor, id));
    }

    @PostMapping("/users/{id}/disable")
    UserJson disable(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return UserJson.of(users.disable(actor, id));
    }

    record RoleChange(@Nullable String role) {
    }

    @PostMapping("/users/{id}/role")
    UserJson changeRole(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody RoleChange request) {
        return UserJson.of(users.changeRole(actor, id, UsersController.parseStaffRole(request.role() == null ? "" : request.role())));
    }

    @GetMapping("/tokens")
    List<ApiToken> tokens(@AuthenticationPrincipal Actor actor) {
        return credentials.tokens(actor);
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        credentials.revokeToken(actor, id);
    }
}
