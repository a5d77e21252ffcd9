/** The servers pages, the provider accounts pages, the REST API and the live status stream. */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.web;
