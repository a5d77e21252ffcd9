package io.vippanel;

import io.vippanel.audit.AuditTrail;
import io.vippanel.identity.AdminAccounts;
import io.vippanel.platform.Migrations;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.ssl.PanelCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToIntFunction;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vip-panel} command line: {@code serve} runs the panel, the others run one task and exit.
 */
@Command(name = "vip-panel", mixinStandardHelpOptions = true, version = "vip-panel 0.1.0",
        subcommands = {PanelCommand.Serve.class, PanelCommand.Migrate.class, PanelCommand.Rollback.class,
                PanelCommand.CreateAdmin.class, PanelCommand.CreateToken.class, PanelCommand.Audit.class,
                PanelCommand.RotateMasterKey.class, PanelCommand.PanelCertificateCommand.class})
public class PanelCommand implements Callable<Integer> {

    /** Exit code meaning the command started a server that keeps the JVM alive. */
    public static final int KEEP_RUNNING = -1;

    @Override
    public Integer call() {
        return new Serve().call();
    }

    static int runTask(ToIntFunction<ConfigurableApplicationContext> task, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--vip.mode=cli"));
        args.addAll(List.of(extraArgs));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(VipPanel.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new))) {
            return task.applyAsInt(context);
        } catch (IllegalArgumentException | IllegalStateException | io.vippanel.platform.InvalidInput e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    @Command(name = "serve", description = "Run the panel (HTTP and/or background work).")
    static class Serve implements Callable<Integer> {
        @Option(names = "--role", defaultValue = "all", description = "all, api or worker (default: ${DEFAULT-VALUE})")
        String role = "all";

        @Override
        public Integer call() {
            if (!List.of("all", "api", "worker").contains(role)) {
                System.err.println("error: --role must be all, api or worker, not [" + role + "]");
                return 2;
            }
            ConfigurableApplicationContext context = new SpringApplicationBuilder(VipPanel.class)
                    .web("worker".equals(role) ? WebApplicationType.NONE : WebApplicationType.SERVLET)
                    .run("--vip.mode=serve", "--vip.role=" + role);
            if ("worker".equals(role)) {
                // No web server holds the JVM open: wait until the context is closed (SIGTERM runs the shutdown hook).
                CountDownLatch closed = new CountDownLatch(1);
                context.addApplicationListener((ContextClosedEvent event) -> closed.countDown());
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return KEEP_RUNNING;
        }
    }

    @Command(name = "migrate", description = "Apply all pending database migrations.")
    static class Migrate implements Callable<Integer> {
        @Override
        public Integer call() {
            return runTask(context -> {
                context.getBean(Migrations.class).update();
                System.out.println("database is up to date");
                return 0;
            });
        }
    }

    @Command(name = "rollback", description = "Roll back the last N applied migrations.")
    static class Rollback implements Callable<Integer> {
        @Option(names = "--count", required = true, description = "how many changesets to roll back")
        int count;

        @Override
        public Integer call() {
            if (count < 1) {
                System.err.println("error: --count must be at least 1, not [" + count + "]");
                return 2;
            }
            return runTask(context -> {
                context.getBean(Migrations.class).rollback(count);
                System.out.println("rolled back " + count + " changeset(s)");
                return 0;
            });
        }
    }

    @Command(name = "create-admin", description = "Create a superadmin (for scripted installs).")
    static class CreateAdmin implements Callable<Integer> {
        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--password-file", required = true, description = "file whose first line is the password")
        Path passwordFile;

        @Option(names = "--name", description = "display name (default: the part of the email before @)")
        String name;

        @Override
        public Integer call() throws Exception {
            String password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return runTask(context -> {
                context.getBean(Migrations.class).update();
                String id = context.getBean(AdminAccounts.class).createSuperadmin(email, name, password);
                System.out.println("created superadmin " + id + " <" + email.trim().toLowerCase() + ">");
                return 0;
            });
        }
    }

    @Command(name = "create-token", description = "Create a personal API token for a user and print it once.")
    static class CreateToken implements Callable<Integer> {
        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--name", required = true, description = "what the token is for")
        String name;

        @Override
        public Integer call() {
            return runTask(context -> {
                context.getBean(Migrations.class).update();
                System.out.println(context.getBean(AdminAccounts.class).createToken(email, name));
                return 0;
            });
        }
    }

    @Command(name = "audit", description = "Audit trail tasks.", subcommands = Audit.Verify.class)
    static class Audit implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("usage: vip-panel audit verify");
            return 2;
        }

        @Command(name = "verify", description = "Check the audit trail's hash chain; names the first broken link.")
        static class Verify implements Callable<Integer> {
            @Override
            public Integer call() {
                return runTask(context -> {
                    AuditTrail.Verification result = context.getBean(AuditTrail.class).verify();
                    System.out.println(result.message());
                    return result.intact() ? 0 : 1;
                });
            }
        }
    }

    @Command(name = "rotate-master-key", description = "Add a new primary master key and re-encrypt every secret with it.")
    static class RotateMasterKey implements Callable<Integer> {
        @Override
        public Integer call() {
            return runTask(context -> {
                int count = context.getBean(SecretBox.class).rotate();
                System.out.println("re-encrypted " + count + " secret(s) under the new primary key");
                return 0;
            });
        }
    }

    @Command(name = "panel-certificate", description = "Get or renew the certificate of the panel's own hostname "
            + "(vip.ssl.panel-hostname) from the platform's ACME account, write it where nginx reads it and reload nginx.")
    static class PanelCertificateCommand implements Callable<Integer> {
        @Option(names = "--force", description = "order a new certificate even when the current one is not due")
        boolean force;

        @Override
        public Integer call() {
            return runTask(context -> {
                PanelCertificate.Outcome outcome = context.getBean(PanelCertificate.class)
                        .renew(force, System.out::println);
                System.out.println((outcome.issued() ? "new certificate: serial " : "the certificate in place is current: serial ")
                        + outcome.serial() + ", valid until " + outcome.notAfter() + ", renewed after " + outcome.renewAfter());
                return 0;
            });
        }
    }
}
