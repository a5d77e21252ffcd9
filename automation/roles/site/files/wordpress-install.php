<?php
// Installs WordPress in the release it runs in (the working directory), as the site user, the way `wp core install`
// does: WordPress's own wp_install(). Reads {"wordpress": {...}, "secrets": {...}} as JSON on standard input (the
// passwords never appear in a command line). Writes wp-config.php (argument 1, the shared file the release links to)
// only while it is empty, so a configuration people edited is never overwritten. With "install" false it only brings
// the database up to the release's core version (`wp core update-db`). The last line of its output is
// "VIP-WORDPRESS <json>" with the core version and whether this run installed WordPress; errors go to standard error
// and end it with exit code 1.

function vip_fail(string $message): never {
    fwrite(STDERR, $message . "\n");
    exit(1);
}

$input = json_decode(stream_get_contents(STDIN), true);
if (!is_array($input) || !is_array($input['wordpress'] ?? null)) {
    vip_fail('The installer expects {"wordpress": {...}, "secrets": {...}} on standard input.');
}
$wordpress = $input['wordpress'];
$secrets = is_array($input['secrets'] ?? null) ? $input['secrets'] : [];
$install = ($wordpress['install'] ?? false) === true;
$config = $argv[1] ?? '';
if ($config === '' || !file_exists($config)) {
    vip_fail('wp-config.php is missing from the shared folder.');
}

clearstatcache();
if (filesize($config) === 0) {
    if (!$install) {
        vip_fail('wp-config.php is empty and WordPress is installed already: restore the configuration in shared/wp-config.php.');
    }
    $salts = '';
    foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $name) {
        $salts .= sprintf("define('%s', %s);\n", $name, var_export(base64_encode(random_bytes(48)), true));
    }
    $text = "<?php\n"
        . "// Written by VIP Hosting Panel when it installed WordPress. Yours to edit: the panel does not write it again.\n"
        . sprintf("define('DB_NAME', %s);\n", var_export((string) $wordpress['db_name'], true))
        . sprintf("define('DB_USER', %s);\n", var_export((string) $wordpress['db_user'], true))
        . sprintf("define('DB_PASSWORD', %s);\n", var_export((string) ($secrets['db_password'] ?? ''), true))
        . sprintf("define('DB_HOST', %s);\n", var_export((string) $wordpress['db_host'], true))
        . "define('DB_CHARSET', 'utf8mb4');\n"
        . "define('DB_COLLATE', '');\n"
        . $salts
        . "\$table_prefix = 'wp_';\n"
        . "define('WP_DEBUG', false);\n"
        . "// Releases link this file from shared/: only wp-load.php, which defines ABSPATH, may load it.\n"
        . "if (!defined('ABSPATH')) {\n    exit;\n}\n"
        . "require_once ABSPATH . 'wp-settings.php';\n";
    if (file_put_contents($config, $text, LOCK_EX) === false) {
        vip_fail('wp-config.php could not be written.');
    }
    chmod($config, 0600);
}

$url = (string) ($wordpress['url'] ?? '');
$host = parse_url($url, PHP_URL_HOST);
$_SERVER['HTTP_HOST'] = is_string($host) ? $host : 'localhost';
$_SERVER['SERVER_NAME'] = $_SERVER['HTTP_HOST'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);

// The panel shows the administrator's password; WordPress's welcome mail would only say an install happened, and most
// new servers cannot send mail yet.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {
}

// whatever WordPress prints while loading is not the installer's report
ob_start();
require getcwd() . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
ob_end_clean();
if (!empty($wpdb->error)) {
    vip_fail('WordPress cannot reach its database: ' . trim(strip_tags(is_string($wpdb->error) ? $wpdb->error : $wpdb->error->get_error_message())));
}

$installedNow = false;
if (!is_blog_installed()) {
    if (!$install) {
        vip_fail('WordPress is not installed in its database, although the panel installed it before.');
    }
    $result = wp_install((string) $wordpress['title'], (string) $wordpress['admin_user'], (string) $wordpress['admin_email'], true,
        '', wp_slash((string) ($secrets['admin_password'] ?? '')));
    if (empty($result['user_id'])) {
        vip_fail('wp_install() did not create the administrator.');
    }
    update_option('siteurl', $url);
    update_option('home', $url);
    // nginx hands every path that is not a file to index.php, so pretty permalinks work without .htaccess.
    update_option('permalink_structure', '/%postname%/');
    flush_rewrite_rules(false);
    $installedNow = true;
} elseif ((int) get_option('db_version') !== (int) $wp_db_version) {
    wp_upgrade();
}
echo 'VIP-WORDPRESS ' . json_encode(['version' => $wp_version, 'installed' => $installedNow]) . "\n";
