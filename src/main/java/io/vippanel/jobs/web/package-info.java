/** The jobs pages (list, detail, dashboard widget), their actions, and the live streams they listen to. */
@org.jspecify.annotations.NullMarked
package io.vippanel.jobs.web;
