package io.vippanel.dns.internal.zone;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an RFC 1035 master file into entries: one line, or several joined by parentheses, without comments. A line
 * that starts with white space has no owner name of its own ({@link Entry#ownerOmitted()}).
 */
final class ZoneFileLexer {

    /** A word of an entry; a quoted one keeps its escapes and loses its quotes. */
    record Token(String text, boolean quoted) {

        /** The token as it stands in the file. */
        String source() {
            return quoted ? "\"" + text + "\"" : text;
        }
    }

    record Entry(int line, boolean ownerOmitted, List<Token> tokens) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<LineMessage> errors = new ArrayList<>();
    private List<Token> tokens = new ArrayList<>();
    private StringBuilder word = new StringBuilder();
    private int depth;
    private int entryLine;
    private boolean ownerOmitted;

    private ZoneFileLexer() {
    }

    /** The entries of the text, and syntax errors; an entry with an error is left out. */
    static ZoneFileLexer lex(String text) {
        ZoneFileLexer lexer = new ZoneFileLexer();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            lexer.line(i + 1, lines[i]);
        }
        if (lexer.depth > 0) {
            lexer.errors.add(new LineMessage(lexer.entryLine, "a parenthesis opened here is never closed."));
        }
        return lexer;
    }

    List<Entry> entries() {
        return entries;
    }

    List<LineMessage> errors() {
        return errors;
    }

    private void line(int number, String line) {
        if (depth == 0) {
            entryLine = number;
            ownerOmitted = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            tokens = new ArrayList<>();
        }
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ';') {
                break;
            }
            switch (c) {
                case ' ', '\t' -> endWord();
                case '(' -> {
                    endWord();
                    depth++;
                }
                case ')' -> {
                    endWord();
                    if (--depth < 0) {
                        fail(number, "a closing parenthesis has no opening one.");
                        return;
                    }
                }
                case '"' -> {
                    endWord();
                    int end = closingQuote(line, i + 1);
                    if (end < 0) {
                        fail(number, "a quoted string is not closed on its line.");
                        return;
                    }
                    tokens.add(new Token(line.substring(i + 1, end), true));
                    i = end;
                }
                case '\\' -> {
                    word.append(c);
                    if (i + 1 < line.length()) {
                        word.append(line.charAt(++i));
                    }
                }
                default -> word.append(c);
            }
            i++;
        }
        endWord();
        if (depth == 0 && !tokens.isEmpty()) {
            entries.add(new Entry(entryLine, ownerOmitted, List.copyOf(tokens)));
        }
    }

    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private void endWord() {
        if (!word.isEmpty()) {
            tokens.add(new Token(word.toString(), false));
            word = new StringBuilder();
        }
    }

    private void fail(int number, String message) {
        errors.add(new LineMessage(number, message));
        depth = 0;
        tokens = new ArrayList<>();
        word = new StringBuilder();
    }
}
