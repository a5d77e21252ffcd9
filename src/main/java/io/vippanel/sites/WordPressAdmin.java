package io.vippanel.sites;

/**
 * The first administrator of a WordPress site the panel installs. The password is shown this once: the panel keeps it
 * sealed only until the install has used it, then forgets it.
 */
public record WordPressAdmin(String user, String email, String password, String loginUrl) {

    /** Never the password. */
    @Override
    public String toString() {
        return "WordPressAdmin[" + user + ", " + email + "]";
    }
}
