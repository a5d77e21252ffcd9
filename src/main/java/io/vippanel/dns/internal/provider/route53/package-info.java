/**
 * The Amazon Route 53 DNS provider: hosted zones and record sets through the AWS SDK for Java v2, one change batch
 * per apply, waited on until Route 53 reports it in sync.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.dns.internal.provider.route53;
