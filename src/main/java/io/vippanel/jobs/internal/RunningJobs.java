package io.vippanel.jobs.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The jobs this process is running right now, each with the flag that a cancel request raises. */
class RunningJobs {

    private final Map<String, AtomicBoolean> cancelFlags = new ConcurrentHashMap<>();

    AtomicBoolean register(String jobId) {
        AtomicBoolean flag = new AtomicBoolean();
        cancelFlags.put(jobId, flag);
        return flag;
    }

    void unregister(String jobId) {
        cancelFlags.remove(jobId);
    }

    Set<String> ids() {
        return Set.copyOf(cancelFlags.keySet());
    }

    void cancel(String jobId) {
        AtomicBoolean flag = cancelFlags.get(jobId);
        if (flag != null) {
            flag.set(true);
        }
    }
}
