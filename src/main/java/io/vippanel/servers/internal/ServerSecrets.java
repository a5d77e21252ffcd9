package io.vippanel.servers.internal;

import io.vippanel.automation.SshCredential;
import io.vippanel.automation.SshKey;
import io.vippanel.automation.SshPassword;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Encrypts and decrypts the secrets a server row holds, each bound to its row and column. */
@Component
public class ServerSecrets {

    public static final EncryptedColumn PANEL_KEY = new EncryptedColumn("servers", "id", "panel_private_key");
    public static final EncryptedColumn RETIRED_KEY = new EncryptedColumn("servers", "id", "retired_private_key");
    public static final EncryptedColumn BOOTSTRAP = new EncryptedColumn("servers", "id", "bootstrap_secret");
    public static final EncryptedColumn DATABASE_ROOT = new EncryptedColumn("servers", "id", "database_root_password");

    private final SecretBox box;

    public ServerSecrets(SecretBox box) {
        this.box = box;
    }

    public String seal(EncryptedColumn column, String serverId, String plaintext) {
        return box.encrypt(plaintext, column.boundTo(serverId));
    }

    public String open(EncryptedColumn column, String serverId, String ciphertext) {
        return box.decrypt(ciphertext, column.boundTo(serverId));
    }

    public SshKey panelKey(ServerRecord server) {
        return SshKey.of(open(PANEL_KEY, server.id(), server.encryptedPanelKey()));
    }

    public @Nullable SshKey retiredKey(ServerRecord server) {
        String sealed = server.encryptedRetiredKey();
        return sealed == null ? null : SshKey.of(open(RETIRED_KEY, server.id(), sealed));
    }

    /** The one-time login secret given for a custom server, while it is still stored. */
    public @Nullable SshCredential bootstrapCredential(ServerRecord server) {
        String sealed = server.encryptedBootstrapSecret();
        if (sealed == null || server.bootstrapKind() == null) {
            return null;
        }
        String secret = open(BOOTSTRAP, server.id(), sealed);
        return "key".equals(server.bootstrapKind()) ? SshKey.of(secret) : SshPassword.of(secret);
    }

    public @Nullable String databaseRootPassword(ServerRecord server) {
        String sealed = server.encryptedDatabaseRootPassword();
        return sealed == null ? null : open(DATABASE_ROOT, server.id(), sealed);
    }
}
