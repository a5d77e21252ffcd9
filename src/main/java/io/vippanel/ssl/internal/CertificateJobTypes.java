package io.vippanel.ssl.internal;

/** The names of the SSL module's jobs. */
public final class CertificateJobTypes {

    /** Orders a certificate from the platform's ACME CA (params: renewal), deploys it and checks port 443. */
    public static final String ISSUE = "ssl.issue";
    /** Deploys an uploaded custom certificate and checks port 443. */
    public static final String DEPLOY_CUSTOM = "ssl.deploy-custom";

    private CertificateJobTypes() {
    }
}
