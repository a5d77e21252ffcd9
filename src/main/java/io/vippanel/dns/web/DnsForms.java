package io.vippanel.dns.web;

import io.vippanel.dns.NewDnsAccount;
import io.vippanel.dns.RecordEdit;
import org.jspecify.annotations.Nullable;

/** The DNS pages' forms as typed. A form shown again never carries a secret back. */
public final class DnsForms {

    private DnsForms() {
    }

    static String text(@Nullable String value) {
        return value == null ? "" : value;
    }

    public record AccountForm(@Nullable String kind, @Nullable String name, @Nullable String shared, @Nullable String apiUrl,
                       @Nullable String apiKey, @Nullable String serverId, @Nullable String nameservers,
                       @Nullable String checkServers, @Nullable String apiToken, @Nullable String accountId,
                       @Nullable String accessKeyId, @Nullable String secretAccessKey) {

        static final AccountForm EMPTY = new AccountForm("cloudflare", "", null, "", null, "localhost", "", "", null, "", "", null);

        NewDnsAccount toNewAccount() {
            return new NewDnsAccount(kind, name, sharedChecked(), apiUrl, apiKey, serverId, nameservers, checkServers, apiToken,
                    accountId, accessKeyId, secretAccessKey);
        }

        AccountForm withoutSecrets() {
            return new AccountForm(kind, name, shared, apiUrl, null, serverId, nameservers, checkServers, null, accountId,
                    accessKeyId, null);
        }

        public boolean sharedChecked() {
            return "on".equals(shared) || "true".equals(shared);
        }

        @Override
        public String toString() {
            return "AccountForm[" + kind + ", " + name + "]";
        }
    }

    public record ZoneForm(@Nullable String accountId, @Nullable String name, @Nullable String zoneFile) {
        static final ZoneForm EMPTY = new ZoneForm("", "", "");
    }

    public record RecordForm(@Nullable String name, @Nullable String type, @Nullable String ttl, @Nullable String content) {
        static final RecordForm EMPTY = new RecordForm("", "A", "3600", "");

        RecordEdit edit() {
            return new RecordEdit(name, type, ttl, content);
        }
    }
}
