package io.vippanel.tenancy;

/** Thrown when the access policy refuses an action; answered with 403 (or 404 where existence must not leak). */
public class AccessDenied extends org.springframework.security.access.AccessDeniedException {

    private final Permission permission;

    public AccessDenied(Permission permission, String message) {
        super(message);
        this.permission = permission;
    }

    public Permission permission() {
        return permission;
    }
}
