package io.vippanel.platform.crypto;

/**
 * A column that holds {@link SecretBox} ciphertexts; modules declare theirs as beans so key rotation finds them.
 * Table and column names are constants written by us, never user input.
 */
public record EncryptedColumn(String table, String idColumn, String column) {

    /** The associated data a value in this column is bound to. */
    public String boundTo(String rowId) {
        return table + "." + column + ":" + rowId;
    }
}
