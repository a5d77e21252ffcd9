package io.vippanel.identity;

import io.vippanel.identity.internal.PasswordPolicy;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.identity.internal.UserRepository;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.Validation;
import io.vippanel.tenancy.Role;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.Tenants;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Account tasks for the command line (scripted installs), with the same rules as the web. */
@Service
public class AdminAccounts {

    private final UserRepository users;
    private final PasswordPolicy passwords;
    private final Tenants tenants;
    private final Credentials credentials;
    private final Accounts accounts;
    private final SystemTransactions system;
    private final ApplicationEventPublisher events;

    AdminAccounts(UserRepository users, PasswordPolicy passwords, Tenants tenants, Credentials credentials, Accounts accounts,
                  SystemTransactions system, ApplicationEventPublisher events) {
        this.users = users;
        this.passwords = passwords;
        this.tenants = tenants;
        this.credentials = credentials;
        this.accounts = accounts;
        this.system = system;
        this.events = events;
    }

    public String createSuperadmin(String rawEmail, @Nullable String rawName, String password) {
        return system.call(() -> {
            Validation validation = new Validation();
            String email = validation.email("email", rawEmail);
            String name = validation.requiredText("name", rawName == null || rawName.isBlank() ? email.split("@")[0] : rawName, 120);
            passwords.problem(password, email).ifPresent(problem -> validation.reject("password", problem));
            if (!validation.hasErrors() && users.emailTaken(email)) {
                validation.reject("email", "A user with this email address already exists.");
            }
            validation.throwIfInvalid();
            Tenant platform = tenants.platform();
            String id = Ids.newId("usr");
            users.insert(id, platform.id(), email, name, Role.SUPERADMIN, UserAccount.Status.ACTIVE, passwords.hash(password));
            events.publishEvent(AuditEvent.success(platform.id(), null, "cli", "user.create_superadmin", "user", id, Map.of("email", email)));
            return id;
        });
    }

    public String createToken(String rawEmail, String name) {
        String email = rawEmail.strip().toLowerCase(java.util.Locale.ROOT);
        String userId = system.call(() -> users.credentialsByEmail(email).map(c -> c.account().id()))
                .orElseThrow(() -> new IllegalArgumentException("no user with email [" + email + "]"));
        var actor = accounts.activeActor(userId)
                .orElseThrow(() -> new IllegalArgumentException("user [" + email + "] is not active or their tenant is suspended"));
        Validation validation = new Validation();
        String tokenName = validation.requiredText("name", name, 80);
        validation.throwIfInvalid();
        return credentials.createToken(actor, tokenName, null);
    }
}
