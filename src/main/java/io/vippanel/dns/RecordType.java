package io.vippanel.dns;

/** The record types the panel manages. */
public enum RecordType {
    A, AAAA, CNAME, MX, TXT, SRV, CAA, NS
}
