package io.vippanel.sites;

import java.io.Serializable;

/**
 * The first administrator of a WordPress site the panel installs. The password is shown this once: the panel keeps it
 * sealed only until the install has used it, then forgets it. Serializable: the wizard hands it to the site's page as
 * a flash attribute, which lives in the session store until that one page was shown.
 */
public record WordPressAdmin(String user, String email, String password, String loginUrl) implements Serializable {

    /** Never the password. */
    @Override
    public String toString() {
        return "WordPressAdmin[" + user + ", " + email + "]";
    }
}
