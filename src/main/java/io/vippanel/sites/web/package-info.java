/** The sites pages, the REST API and the live status stream. */
@org.jspecify.annotations.NullMarked
package io.vippanel.sites.web;
