package io.vippanel.servers.web;

import io.vippanel.servers.NewProviderAccount;
import org.jspecify.annotations.Nullable;

/**
 * The add-account form as typed. Every kind's fields are sent (the form works without JavaScript); the service
 * reads those of the chosen kind. A form shown again never carries the token or the secret access key back.
 */
public record ProviderForm(@Nullable String kind, @Nullable String name, @Nullable String token, @Nullable String accessKeyId,
                           @Nullable String secretAccessKey, @Nullable String defaultRegion, @Nullable String shared) {

    public static final ProviderForm EMPTY = new ProviderForm("hetzner", "", null, "", null, "", null);

    public NewProviderAccount toNewAccount() {
        return new NewProviderAccount(kind, name, token, accessKeyId, secretAccessKey, defaultRegion, sharedChecked());
    }

    public ProviderForm withoutSecrets() {
        return new ProviderForm(kind, name, null, accessKeyId, null, defaultRegion, shared);
    }

    public boolean sharedChecked() {
        return shared != null && (shared.equals("on") || shared.equals("true"));
    }

    public String text(@Nullable String value) {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return "ProviderForm[" + kind + ", " + name + "]";
    }
}
