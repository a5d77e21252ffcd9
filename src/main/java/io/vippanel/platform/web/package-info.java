/** Web basics shared by every module's pages and API: layout model, CSRF, CSP nonces, error answers. */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("web")
package io.vippanel.platform.web;
