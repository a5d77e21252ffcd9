package io.vippanel.platform.web;

import java.util.List;

/**
 * What the application layout shows around every signed-in page: navigation, the user, the tenant switcher
 * and the CSRF token that HTMX sends as a header.
 */
public record PageShell(String userName, String userEmail, String roleLabel, String tenantName, List<NavItem> nav,
                        List<TenantOption> tenantOptions, String currentTenantId, Csrf csrf, String path, String toast,
                        String toastError) {

    /** One sidebar entry; only sections that exist and that the user may open are listed. */
    public record NavItem(String label, String href, String icon) {
    }

    /** A tenant the user may switch into. */
    public record TenantOption(String id, String label) {
    }

    public boolean isActive(NavItem item) {
        return "/".equals(item.href()) ? "/".equals(path) : path.startsWith(item.href());
    }

    /** JSON for {@code hx-headers}: every HTMX request carries the CSRF token. */
    public String hxHeaders() {
        return "{\"" + csrf.headerName() + "\": \"" + csrf.token() + "\"}";
    }
}
