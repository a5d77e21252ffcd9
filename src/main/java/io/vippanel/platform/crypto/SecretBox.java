package io.vippanel.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.vippanel.platform.VipProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest with Tink AEAD (AES-256-GCM) under the master keyset; each ciphertext is bound to
 * the place it is stored, so a value copied to another row or column does not decrypt.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

    private final @Nullable Path keyFile;
    private final List<EncryptedColumn> columns;
    private final DataSource ownerDataSource;
    private volatile KeysetHandle keyset;

    public SecretBox(VipProperties properties, List<EncryptedColumn> columns, @Qualifier("owner") DataSource ownerDataSource)
            throws GeneralSecurityException, IOException {
        AeadConfig.register();
        this.columns = columns;
        this.ownerDataSource = ownerDataSource;
        String inline = properties.security().masterKey();
        if (inline != null && !inline.isBlank()) {
            this.keyFile = null;
            this.keyset = parse(inline.trim().startsWith("{") ? inline : new String(Base64.getDecoder().decode(inline.trim()), StandardCharsets.UTF_8));
        } else {
            String file = properties.security().masterKeyFile();
            this.keyFile = Path.of(file != null && !file.isBlank() ? file : properties.dataDir() + "/master.key").toAbsolutePath();
            this.keyset = Files.exists(keyFile) ? parse(Files.readString(keyFile)) : createKeyFile(keyFile);
        }
    }

    public String encrypt(String plaintext, String boundTo) {
        try {
            byte[] ciphertext = keyset.getPrimitive(Aead.class)
                    .encrypt(plaintext.getBytes(StandardCharsets.UTF_8), boundTo.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(String ciphertext, String boundTo) {
        try {
            byte[] plain = keyset.getPrimitive(Aead.class)
                    .decrypt(Base64.getDecoder().decode(ciphertext), boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored secret could not be decrypted (wrong master key?)", e);
        }
    }

    /**
     * Adds a new primary key, saves the keyset, then re-encrypts every registered column with it.
     * Old keys stay in the keyset so a crash half-way leaves every value readable.
     */
    public synchronized int rotate() {
        if (keyFile == null) {
            throw new IllegalStateException("the master key comes from VIP_MASTER_KEY; rotate it where it is kept, "
                    + "or use a key file (vip.security.master-key-file)");
        }
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
                    .build();
            writeKeyFile(keyFile, rotated);
            keyset = rotated;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not write the rotated master key: " + e.getMessage(), e);
        }
        JdbcClient jdbc = JdbcClient.create(ownerDataSource);
        int count = 0;
        for (EncryptedColumn column : columns) {
            List<Row> rows = jdbc.sql("SELECT " + column.idColumn() + " AS id, " + column.column() + " AS value FROM "
                            + column.table() + " WHERE " + column.column() + " IS NOT NULL")
                    .query(Row.class).list();
            for (Row row : rows) {
                String boundTo = column.boundTo(row.id());
                String reEncrypted = encrypt(decrypt(row.value(), boundTo), boundTo);
                count += jdbc.sql("UPDATE " + column.table() + " SET " + column.column() + " = ? WHERE " + column.idColumn() + " = ?")
                        .params(reEncrypted, row.id()).update();
            }
        }
        log.info("master key rotated; {} secret(s) re-encrypted", count);
        return count;
    }

    private record Row(String id, String value) {
    }

    private static KeysetHandle parse(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    private static KeysetHandle createKeyFile(Path file) throws GeneralSecurityException, IOException {
        KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        writeKeyFile(file, handle);
        log.info("created a new master key at {} (keep a backup: without it, stored secrets cannot be read)", file);
        return handle;
    }

    private static void writeKeyFile(Path file, KeysetHandle handle) throws GeneralSecurityException, IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
