/**
 * The AWS EC2 client: instances, key pairs and the panel's security group through the AWS SDK for Java v2, and
 * on-demand prices from the AWS Price List API.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.internal.provider.aws;
