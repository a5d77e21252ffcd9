/**
 * Sites: static, PHP, Laravel, WordPress and Node.js sites on managed servers, each with its own Linux user, PHP-FPM
 * pool and nginx vhost; zero-downtime deployments (releases, an atomic symlink switch, rollback, push-to-deploy
 * webhooks); databases, environment variables, cron jobs, workers and the WAF switch.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.sites;
