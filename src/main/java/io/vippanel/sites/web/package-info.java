@org.jspecify.annotations.NullMarked
package io.vippanel.sites.web;
