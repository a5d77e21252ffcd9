package io.vippanel.ssl.internal.acme;

import java.net.URL;
import org.shredzone.acme4j.Login;

/**
 * The platform's account at one CA, ready to order certificates. Get one from {@link AcmeAccounts}; it holds the
 * account's key in memory only.
 */
public final class AcmeAccount {

    private final AcmeDirectory directory;
    private final Login login;

    AcmeAccount(AcmeDirectory directory, Login login) {
        this.directory = directory;
        this.login = login;
    }

    public AcmeDirectory directory() {
        return directory;
    }

    /** The account's address at the CA (its key id), the same every time the same key is used. */
    public URL location() {
        return login.getAccountLocation();
    }

    Login login() {
        return login;
    }
}
