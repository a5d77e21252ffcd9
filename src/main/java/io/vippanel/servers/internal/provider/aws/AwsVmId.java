package io.vippanel.servers.internal.provider.aws;

/**
 * The id the panel stores for an EC2 instance: {@code <region>/<instance id>}, e.g. {@code eu-central-1/i-0abc12}.
 *
 * <p>An EC2 instance id alone does not say which region's endpoint knows it, so the region travels with it.
 */
record AwsVmId(String region, String instanceId) {

    AwsVmId {
        if (region.isBlank() || instanceId.isBlank() || region.contains("/") || instanceId.contains("/")) {
            throw new IllegalArgumentException("AWS VM id part is empty or contains '/': [" + region + "/" + instanceId + "]");
        }
    }

    /**
     * @throws IllegalArgumentException when the id is not of the form {@code region/instance-id}
     */
    static AwsVmId parse(String vmId) {
        int slash = vmId.indexOf('/');
        if (slash <= 0 || slash == vmId.length() - 1 || vmId.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("AWS VM id [" + vmId + "] is not of the form region/instance-id");
        }
        return new AwsVmId(vmId.substring(0, slash), vmId.substring(slash + 1));
    }

    String value() {
        return region + "/" + instanceId;
    }

    @Override
    public String toString() {
        return value();
    }
}
