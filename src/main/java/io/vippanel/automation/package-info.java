/**
 * Runs {@code ansible-playbook} and plain SSH commands on managed servers for the modules that change them
 * (servers, sites, DNS, SSL, mail, backups), with pinned host keys, secrets kept out of output, and every
 * run bounded by a timeout and cancellable. Output reaches the caller through {@link io.vippanel.automation.RunListener};
 * {@link io.vippanel.automation.PlaybookJobs} runs a playbook as the body of a background job.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.automation;
