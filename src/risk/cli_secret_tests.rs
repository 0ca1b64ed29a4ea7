//! `command_line_password`: each tool's documented password flag, with
//! made-up passwords; a flag that prompts, a variable or a placeholder
//! stays quiet; the filter's scan and the reference scan agree.

use super::test_support::*;
use super::*;

const RULE: &str = "command_line_password";

fn fires(e: &Engine, t: &str) -> bool {
    hits_rule(e, RULE, t)
}

#[test]
fn each_tools_password_flag_is_found() {
    let e = engine();
    let missed: Vec<&str> = [
        "mysql -h db1 -u root -pHu8Kz2Lq9Wm3 orders",
        "mysqldump -uroot -p'Qv7#mT2w' shop > shop.sql",
        "mariadb -u app -pZx81LmQp4t app",
        "sshpass -p 'Hu8Kz2Lq9Wm3' ssh deploy@web1",
        "sshpass -pRw4Tz8Qm1x scp a b:",
        "redis-cli -h cache1 -a Hu8Kz2Lq9Wm3 ping",
        "redis-cli --pass Nm3Qr8Lp2z -n 2",
        "docker login -u ci -p Hu8Kz2Lq9Wm3 registry.example.com",
        "podman login quay.io --username bot --password=Kc9Lm2Xq7r",
        "az login -u alice@corp.example -p Hu8Kz2Lq9Wm3",
        "openssl pkcs12 -export -passout pass:Hu8Kz2Lq9Wm3 -out cert.p12",
        "openssl rsa -in k.pem -passin pass:Tz4Wq8Lm1n -out k2.pem",
        "keytool -importcert -keystore app.jks -storepass Pq7Zt2Lm9x -file ca.crt",
        "jarsigner -keystore k.jks -storepass Hm4Qz8Wt2l -keypass Hm4Qz8Wt2m app.jar me",
        "ldapsearch -x -D cn=admin,dc=corp -w Lq8Zm2Tx4p -b dc=corp",
        "sqlcmd -S db1 -U sa -P Hu8Kz2Lq9Wm3 -Q \"select 1\"",
        "ipmitool -I lanplus -H 10.0.0.9 -U admin -P Rt5Yq2Lm8z power status",
        "mosquitto_pub -h mq -u dev -P Wz3Lq7Tm2k -t a -m b",
        "psexec \\\\host1 -u corp\\admin -p Hu8Kz2Lq9Wm3 cmd",
        "xfreerdp /v:10.0.0.5 /u:admin /p:Hu8Kz2Lq9Wm3 /cert:ignore",
        "smbclient //fs1/share -U alice%Hu8Kz2Lq9Wm3",
        "net use Z: \\\\fileserver\\share /user:corp\\alice Hu8Kz2Lq9Wm3",
        "htpasswd -b .htpasswd alice Hu8Kz2Lq9Wm3",
        "htpasswd -nb alice Qw8Lz3Tm5p",
        "7z a -pHu8Kz2Lq9Wm3 backup.7z data/",
        "unzip -P Hu8Kz2Lq9Wm3 backup.zip",
        "rabbitmqctl add_user svc Hu8Kz2Lq9Wm3",
        "echo 'Hu8Kz2Lq9Wm3' | sudo -S apt-get update",
        "echo Hu8Kz2Lq9Wm3 | docker login -u ci --password-stdin ghcr.io",
    ]
    .into_iter()
    .filter(|t| !fires(&e, t))
    .collect();
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn prompts_variables_and_placeholders_are_quiet() {
    let e = engine();
    let fired: Vec<&str> = [
        // the flag prompts for the password
        "mysql -h db1 -u root -p orders",
        "mysql -u root -p -e 'show databases'",
        "net use Z: \\\\fileserver\\share /user:corp\\alice *",
        "7z a -p backup.7z data/",
        // a variable or a file holds it
        "mysql -u root -p$MYSQL_ROOT_PASSWORD app",
        "sshpass -p \"$SSHPASS\" ssh web1",
        "echo $REGISTRY_TOKEN | docker login -u ci --password-stdin ghcr.io",
        "openssl rsa -in k.pem -passin env:KEY_PASS -out k2.pem",
        "openssl rsa -in k.pem -passin file:/run/secrets/pass -out k2.pem",
        "redis-cli -a ${REDIS_PASSWORD} ping",
        // placeholders and words, not passwords
        "mysql -u root -pyourpassword",
        "mysql -u root -p<password> app",
        "docker login -u ci -p <token> registry.example.com",
        "redis-cli -a foobared ping",
        "keytool -list -keystore app.jks -storepass changeit",
        // flags of the same letters that are not passwords
        "mysql -h db1 -P 3306 -u root app",
        "zip -r backup.zip data/",
        "docker login registry.example.com",
        "echo hello | grep h",
        "the login page echoes the user name",
    ]
    .into_iter()
    .filter(|t| fires(&e, t))
    .collect();
    assert!(fired.is_empty(), "fired: {fired:#?}");
}

#[test]
fn the_value_is_taken_without_its_flag() {
    use super::cli_secret::value;
    assert_eq!(value(" -pHu8Kz2Lq9Wm3"), "Hu8Kz2Lq9Wm3");
    assert_eq!(value("mysql -p'Qv7#mT2w'"), "Qv7#mT2w");
    assert_eq!(value(" -passout pass:Tz4Wq8Lm1n"), "Tz4Wq8Lm1n");
    assert_eq!(value(" -U alice%Hu8Kz2Lq9Wm3"), "Hu8Kz2Lq9Wm3");
    assert_eq!(value("podman login --password=Kc9Lm2Xq7r"), "Kc9Lm2Xq7r");
    assert_eq!(value("echo 'Hu8Kz2Lq9Wm3' | sudo -S"), "Hu8Kz2Lq9Wm3");
    assert_eq!(value("xfreerdp /p:Hu8Kz2Lq9Wm3"), "Hu8Kz2Lq9Wm3");
}
