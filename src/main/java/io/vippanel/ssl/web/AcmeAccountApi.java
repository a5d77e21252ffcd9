package io.vippanel.ssl.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.ssl.AcmeAccountSettings;
import io.vippanel.ssl.AcmeAccountView;
import io.vippanel.tenancy.Actor;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/ssl/acme-accounts}: the platform's ACME accounts (platform staff only). */
@RestController
@RequestMapping("/api/v1/ssl/acme-accounts")
@Tag(name = "SSL", description = "The platform's ACME account certificates are ordered with.")
class AcmeAccountApi {

    @Schema(name = "AcmeTerms", description = "The CA's terms of service, to accept before the account is made; null when it has none.")
    record TermsJson(String directoryUrl, @Nullable String termsOfService) {
    }

    @Schema(name = "AcmeAccountInput", description = "directoryUrl empty: vip.ssl.acme-directory. acceptTerms must be true when "
            + "the CA has terms of service.")
    record AccountInput(@Nullable String directoryUrl, @Nullable String contactEmail, @Nullable Boolean acceptTerms) {
    }

    private final AcmeAccountSettings settings;

    AcmeAccountApi(AcmeAccountSettings settings) {
        this.settings = settings;
    }

    @GetMapping
    @Operation(summary = "List the platform's ACME accounts", description = "One per CA directory; keys are never returned.")
    List<AcmeAccountView> list(@AuthenticationPrincipal Actor actor) {
        return settings.list(actor);
    }

    @GetMapping("/terms")
    @Operation(summary = "The terms of service of a CA", description = "Read them before accepting; 422 when the directory does not answer.")
    TermsJson terms(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String directoryUrl) {
        String url = directoryUrl == null || directoryUrl.isBlank() ? settings.defaultDirectory() : directoryUrl.strip();
        return new TermsJson(url, settings.termsOfService(actor, url).map(Object::toString).orElse(null));
    }

    @PutMapping
    @Operation(summary = "Make or update the platform's account at a CA", description = "Generates the account key (kept "
            + "encrypted) the first time; the same key finds the same account later. 422 without acceptTerms when the CA has terms.")
    AcmeAccountView register(@AuthenticationPrincipal Actor actor, @RequestBody AccountInput input) {
        return settings.register(actor, input.directoryUrl(), input.contactEmail(), Boolean.TRUE.equals(input.acceptTerms()));
    }
}
