package io.vippanel.sites;

import io.vippanel.platform.AuditActor;

/**
 * Published in the transaction that queues a site's deletion.
 *
 * @param removeDnsRecords the user asked to remove the DNS records the panel made for the site
 */
public record SiteHostsRemoved(String tenantId, String siteId, String domain, boolean removeDnsRecords, AuditActor actor) {
}
