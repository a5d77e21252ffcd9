package io.vippanel.ssl.internal.acme;

import java.net.URI;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * The platform's ACME accounts. An account is identified by its key (EC P-256), which the caller keeps, encrypted, as
 * PEM: the same key finds the same account again, so there is no other account state to store.
 */
public final class AcmeAccounts {

    private static final URI ACCOUNT_DOES_NOT_EXIST = URI.create("urn:ietf:params:acme:error:accountDoesNotExist");

    private AcmeAccounts() {
    }

    /** A new account key, EC P-256, as PEM; a secret to store encrypted. */
    public static String newAccountKeyPem() {
        return AcmeKeys.toPem(AcmeKeys.newEcP256());
    }

    /**
     * The existing account of this key; empty when the CA knows no account for it. Creates nothing and needs no
     * agreement to the terms of service.
     */
    public static Optional<AcmeAccount> find(AcmeDirectory directory, String accountKeyPem) {
        KeyPair key = AcmeKeys.fromPem(accountKeyPem, "the account key");
        try {
            Login login = new AccountBuilder().useKeyPair(key).onlyExisting().createLogin(directory.session());
            return Optional.of(new AcmeAccount(directory, login));
        } catch (AcmeServerException e) {
            if (ACCOUNT_DOES_NOT_EXIST.equals(e.getType())) {
                return Optional.empty();
            }
            throw AcmeFailure.from(e, "looking up the account");
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "looking up the account");
        }
    }

    /**
     * The account of this key, created when the CA has none. The CA's terms of service are agreed to only when
     * {@code terms} says an administrator accepted them; a CA with terms and no acceptance creates nothing.
     *
     * @param contactEmails where the CA may write about the account (expiry notices, policy changes); may be empty
     * @throws AcmeFailure {@code TERMS_NOT_ACCEPTED} when the CA has terms and they were not accepted
     */
    public static AcmeAccount findOrCreate(AcmeDirectory directory, String accountKeyPem, TermsOfService terms,
                                           List<String> contactEmails) {
        Optional<AcmeAccount> existing = find(directory, accountKeyPem);
        if (existing.isPresent()) {
            return existing.get();
        }
        Optional<URI> termsUrl = directory.termsOfService();
        if (termsUrl.isPresent() && terms != TermsOfService.ACCEPTED_BY_ADMIN) {
            throw AcmeFailure.of(AcmeFailure.Reason.TERMS_NOT_ACCEPTED,
                    "the terms of service at " + termsUrl.get() + " have not been accepted");
        }
        AccountBuilder builder = new AccountBuilder().useKeyPair(AcmeKeys.fromPem(accountKeyPem, "the account key"));
        contactEmails.forEach(builder::addEmail);
        if (terms == TermsOfService.ACCEPTED_BY_ADMIN) {
            builder.agreeToTermsOfService();
        }
        try {
            return new AcmeAccount(directory, builder.createLogin(directory.session()));
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "creating the account");
        }
    }

    /**
     * Makes the CA's record of the account's contacts exactly these addresses. At least one: ACME has no way to
     * remove the last contact (an update without contacts is refused as empty).
     */
    public static void updateContacts(AcmeAccount account, List<String> contactEmails) {
        if (contactEmails.isEmpty()) {
            throw new IllegalArgumentException("give at least one contact address");
        }
        try {
            Account.EditableAccount edit = account.login().getAccount().modify();
            edit.getContacts().clear();
            contactEmails.forEach(edit::addEmail);
            edit.commit();
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "updating the account's contacts");
        }
    }

    /** The contacts the CA holds for the account, e.g. {@code mailto:ops@example.com}. */
    public static List<String> contacts(AcmeAccount account) {
        try {
            Account remote = account.login().getAccount();
            remote.fetch();
            return remote.getContacts().stream().map(URI::toString).toList();
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "reading the account");
        }
    }
}
