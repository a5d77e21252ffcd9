package io.vippanel.sites.internal;

/** Names of the sites module's job types (stored with every job). */
public final class SiteJobTypes {

    public static final String CREATE = "sites.create";
    public static final String UPDATE = "sites.update";
    public static final String SUSPEND = "sites.suspend";
    public static final String UNSUSPEND = "sites.unsuspend";
    public static final String DELETE = "sites.delete";
    public static final String DEPLOY = "sites.deploy";
    public static final String ROLLBACK = "sites.rollback";
    public static final String ENVIRONMENT = "sites.environment";
    public static final String DATABASES = "sites.databases";
    public static final String CRON = "sites.cron";
    public static final String CRON_OUTPUT = "sites.cron-output";
    public static final String WORKERS = "sites.workers";

    private SiteJobTypes() {
    }
}
