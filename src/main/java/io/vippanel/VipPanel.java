package io.vippanel;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.modulith.Modulithic;
import picocli.CommandLine;

/**
 * Entry point of the {@code vip-panel} program: every subcommand runs on the same jar.
 */
@SpringBootApplication
@Modulithic(sharedModules = "platform")
public class VipPanel {

    public static void main(String[] args) {
        int exitCode = new CommandLine(new PanelCommand()).execute(args.length == 0 ? new String[] {"serve"} : args);
        if (exitCode != PanelCommand.KEEP_RUNNING) {
            System.exit(exitCode);
        }
    }
}
