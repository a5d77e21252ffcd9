package io.vippanel.automation.internal;

import java.io.StringReader;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;

/** Reads SSH private keys from text in memory with sshj, so a key never has to touch the disk for a plain SSH command. */
public final class OpenSshKeys {

    private static final DefaultConfig SSHJ_CONFIG = new DefaultConfig();

    private OpenSshKeys() {
    }

    /**
     * @throws IllegalArgumentException when the text is not an unencrypted private key sshj can read; the message
     *                                  never repeats the text
     */
    public static KeyProvider load(String pem) {
        try {
            KeyFormat format = KeyProviderUtil.detectKeyFileFormat(pem, false);
            FileKeyProvider provider = Factory.Named.Util.create(SSHJ_CONFIG.getFileKeyProviderFactories(), format.toString());
            if (provider == null) {
                throw new IllegalArgumentException("The SSH private key is in no format the panel can read (OpenSSH or PEM).");
            }
            provider.init(new StringReader(pem));
            // Reading both halves now makes a passphrase-protected or damaged key fail here, not at login.
            provider.getPrivate();
            provider.getPublic();
            return provider;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("The SSH private key cannot be read; it must be an unencrypted OpenSSH or PEM "
                    + "private key (" + e.getClass().getSimpleName() + ").");
        }
    }

    public static void requireUnencryptedPrivateKey(String pem) {
        load(pem);
    }
}
