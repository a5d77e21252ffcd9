/** How servers work: repositories, job types, connections to managed servers, key material, the catalog cache. */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.internal;
