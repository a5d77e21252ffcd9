package io.vippanel.support;

import io.vippanel.PanelCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs a {@code vip-panel} subcommand in this JVM against a test database, as an operator would type it,
 * and captures what it prints.
 */
public final class PanelCli {

    /** Exit code and everything printed to standard output and error. */
    public record Result(int exitCode, String output) {
    }

    private PanelCli() {
    }

    public static synchronized Result run(String databaseUrl, String... args) {
        // The command builds its own Spring context, which reads these like the VIP_* variables of a real shell.
        Map<String, String> properties = Map.of("vip.database.url", databaseUrl, "vip.database.user", "postgres",
                "vip.database.password", "", "vip.data-dir", System.getProperty("java.io.tmpdir") + "/vip-cli-test",
                "logging.level.root", "warn");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        properties.forEach(System::setProperty);
        try {
            PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            int exit = new CommandLine(new PanelCommand()).execute(args);
            return new Result(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            properties.keySet().forEach(System::clearProperty);
        }
    }
}
