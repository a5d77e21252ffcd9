package io.vippanel.sites.internal;

import io.vippanel.platform.InvalidInput;
import java.util.ArrayList;
import java.util.List;

/**
 * A command of a cron job or worker: one line, split into arguments at white space ({@code '…'} and {@code "…"}
 * group an argument with spaces) and run without a shell. Shell metacharacters are refused rather than escaped, so
 * that nobody reads the command as a pipeline or a redirection that would never happen.
 */
public final class CommandLine {

    public static final int MAX_LENGTH = 1000;
    private static final String METACHARACTERS = ";&|$`<>(){}\\";

    private CommandLine() {
    }

    /**
     * The command with surrounding white space removed.
     *
     * @throws InvalidInput on {@code field} when it is empty, too long, more than one line, or holds a metacharacter
     */
    public static String check(String field, String command) {
        argv(field, command);
        return command.strip();
    }

    /** The command's arguments, after {@link #check}'s rules. */
    public static List<String> argv(String field, String command) {
        String text = command.strip();
        if (text.isEmpty()) {
            throw new InvalidInput(field, "Enter the command to run, e.g. php artisan queue:work.");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidInput(field, "A command has at most " + MAX_LENGTH + " characters.");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new InvalidInput(field, "A command is one line; make a script in the site for more.");
            }
            if (c == '\0' || (Character.isISOControl(c) && c != '\t')) {
                throw new InvalidInput(field, "The command contains a control character.");
            }
            if (METACHARACTERS.indexOf(c) >= 0) {
                throw new InvalidInput(field, "The command runs without a shell, so [" + c + "] is not allowed (none of "
                        + "; & | $ ` < > ( ) { } \\); put pipelines, redirections and variables in a script in the site and run that.");
            }
        }
        List<String> argv = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArgument = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inArgument = true;
            } else if (c == ' ' || c == '\t') {
                if (inArgument) {
                    argv.add(current.toString());
                    current.setLength(0);
                    inArgument = false;
                }
            } else {
                current.append(c);
                inArgument = true;
            }
        }
        if (quote != 0) {
            throw new InvalidInput(field, "The command opens a " + quote + " quote that it does not close.");
        }
        if (inArgument) {
            argv.add(current.toString());
        }
        return List.copyOf(argv);
    }
}
