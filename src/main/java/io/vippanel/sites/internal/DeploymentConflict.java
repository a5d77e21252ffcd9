package io.vippanel.sites.internal;

import io.vippanel.platform.InvalidInput;

/** Another deployment or rollback of the site is queued or running; the API answers 409. */
public class DeploymentConflict extends InvalidInput {

    public DeploymentConflict(String message) {
        super("deployment", message);
    }
}
