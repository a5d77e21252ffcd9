package io.vippanel.automation;

/** How much an output line matters, so a job log can colour or filter it. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR
}
