package io.vippanel.platform;

/** The named thing does not exist or is outside what the actor may see; both look the same from outside. */
public class NotFound extends RuntimeException {

    public NotFound(String what, String id) {
        super(what + " [" + id + "] was not found");
    }
}
