package io.vippanel.tenancy;

/** A tenant as a choice in a picker: enough to label it and indent it in the tree. */
public record TenantOption(String id, String name, String path, TenantKind kind) {

    public int depth() {
        return (int) path.chars().filter(c -> c == '/').count() - 2;
    }
}
