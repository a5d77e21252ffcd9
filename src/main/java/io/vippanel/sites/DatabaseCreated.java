package io.vippanel.sites;

/**
 * A database just created (or given a new password): the password is shown this once, and afterwards only through
 * {@link SiteDatabases#revealPassword}, which is audited.
 *
 * @param jobId the job that creates the database (or changes its password) on the server
 */
public record DatabaseCreated(SiteDatabase database, String password, String jobId) {

    /** Never the password. */
    @Override
    public String toString() {
        return "DatabaseCreated[" + database.id() + ", " + database.name() + ", job " + jobId + "]";
    }
}
