/** The sites pages (the list, the create wizard, one site with its tabs and actions), the REST API, the push webhook and the live status stream. */
@org.jspecify.annotations.NullMarked
package io.vippanel.sites.web;
