//! `credential_assignment` on source code agents read (issue #27): values
//! that are variables, expressions, types, macros, patterns, colours or
//! versions, and names about a secret, are no secret; literals in the
//! same syntaxes still are. Values are made up for these tests.

use super::code_value::*;
use super::test_support::*;
use super::*;

fn acts(e: &Engine, text: &str) -> bool {
    e.scan_str(text)
        .hits
        .iter()
        .any(|h| h.action > Action::Audit && h.rule.starts_with("credential_"))
}

#[test]
fn code_that_names_a_credential_is_no_secret() {
    let e = engine();
    let mut wrong = Vec::new();
    for t in [
        // a variable, a type or a reference, not a literal
        "  const opts = key ? { apiKey: userConf } : {};",
        "    retryLater({\n        resumeToken: lastSeenId,\n    });",
        "\t\treturn {\n\t\t\tapiKey: fromEnv,\n\t\t\tmode };",
        "function show(\n    token: Matcher,\n    index: number,\n) {}",
        "    seal(privateKey: SealingPair, body: Uint8Array): Promise<void>;",
        "\t\tconst { apiKey: _unusedKey, ...rest } = provider;",
        "        let mut token: Lexeme = src.parse()?;",
        "export declare const TOKEN: ByteTable;",
        "AuthTokenKind: TypeAlias = Union[Foo, Bar]",
        "export type SecretKeysPage = CursorPage<SecretKey>;",
        "        let comma_token: Option<Token![,]> = stream.parse()?;",
        "        let star_token: Token![*] = stream.parse()?;",
        "fn from(token: Token![+]) -> Op {",
        "fn render(tokens: &TokenTree) -> String {",
        "    fn reset(\n        &mut self,\n        _token_begin: &Self::Marker,\n    ) {}",
        "    let tokens = quote!(Hash);",
        "    let tokens = quote! {\n        #body\n    };",
        "\tconst keepStoredToken = storedRefIsUsable && Boolean(x);",
        // member chains, optional chains, calls
        "\tconst mutedToken = opts?.mutedToken ?? \"OFF\";",
        "\tconst envApiKey = process.env.ACME_API_KEY?.trim();",
        "\tconst fetchedSecrets = hooks.fetchVaultSecrets?.();",
        "\tconst probeApiKey = args.cfg?.vendors?.[name]?.apiKey;",
        "\tconst token = args.token?.trim();",
        "          token: session?.token ?? \"\",",
        "function pop(s){s.tokenize=s.modes.length&&s.modes[0].tokenize||base}",
        "if(s.tokenize!==base&&s.tokenize!==null)return 0",
        // counts and limits under a name holding a credential word
        "            \"maxTokens\": 204800,",
        "export const DEFAULT_TOKEN_BUDGET_THRESHOLD = 250000;",
        "const SECRET_IMPORT_MAX_BYTES = 33554432;",
        "grammar({start:[1]},tokenRank:7})})()}function h(){}",
        // a pattern, a colour, a version, a label, a list of names
        "const TOKEN_PATTERN = /^[a-z0-9]{30}$/;",
        "const SECRET_NAME_RE = /(PASSWD|SECRET)$/;",
        "    Token:   \"#a1b2c3\",  # plain text",
        "    Token: '#fafafa',",
        "    \"@acme/token\": \"^1.4.2\",",
        "\t\tnoApiKeyError: \"Vendor key not set\",",
        "hint:`Tunnel url`,secret:`Tunnel secret`,next:`Next`",
        "exported = [\"Widget\", \"AcmeApiKey\", \"Sprocket\"]",
        "const SESSION_TOKEN_CHARS: ByteTable;",
        "  <AppSecretsId>0f2c9a51-1b7e-4c3d-9a8e-5d6f7a8b9c0d</AppSecretsId>",
        "exports.oidcTokenProvider = exports.s3AccessTokenProvider = void 0;",
        "```ini\nPRIVATE_KEY=\"-----BEGIN RSA PRIVATE KEY-----\\nMIIE...\n```",
        // the last entry of an object, its line closing the object next
        "  sign({\n    salt: pepper,\n    clientSecret: sharedAuth\n  });",
        // a variable or type named after its name
        "\tconst { baseUrl: _baseUrl, authToken: _authToken, rest } = cfg;",
        "  refreshToken: refreshToken$2\n});",
        "export function keysToJSON(\n  oauth2ApiKeys: Oauth2ApiKeys,\n): string {",
        // compared with a variable; a member chain closing a bracket
        "list.filter(([token]) => token !== otherId));",
        "return `${key ? \"api-key\" : profile.kind}${label ? x : y}`;",
        // a raw pointer, an associated type, a parameter among others
        "    pub user_passwd: *const c_char,",
        "function compose(node: Node, token: BlockNode | FlowNode) {}",
        "\t\theader: cfg.vendor === \"acme\" ? \"x-api-key\" : \"api-key\",",
        "    <I as Lexer>::Token: Display,",
        "export declare const seal: (body: Body, privateKey: SealingKey, alg?: Alg) => string;",
        // a letters-only word in a parenthesis reads as an argument: a
        // password written so in prose is lost with it (docs/risk.md)
        "login (user: admin, password: BlueHorizon)",
    ] {
        if acts(&e, t) {
            wrong.push(t);
        }
    }
    assert!(wrong.is_empty(), "taken as secrets: {wrong:#?}");
}

#[test]
fn literals_in_the_same_syntaxes_are_still_secrets() {
    let e = engine();
    let mut wrong = Vec::new();
    for t in [
        // a letters-only value where a file or a person writes a literal
        "PASSWORD=BlueHorizon\nPORT=8080",
        "PASSWORD=BlueHorizon\r\nPORT=8080",
        "<dbPassword>BlueHorizon</dbPassword>",
        "db:\n  password: BlueHorizon\n  host: db.acme.io",
        "[db]\npassword = BlueHorizon\n",
        "login: admin, password: BlueHorizon, then press enter",
        "os.Setenv(\"API_KEY\", \"BlueHorizon\")",
        // literals in code
        "  const client = new Acme({ apiKey: \"q7Vz2kLw9xRt\" });",
        "    resumeToken: \"Zq7rT9wLk2Hx\",",
        "export const DEFAULT_TOKEN = \"6B5AC1D4EBFF4E9FB37E23D68491D6F4\";",
        "\tconst token = \"Hx9vpn.trim2024\";",
        "password = Hunter2024!",
        "adminPassword: Hx9vpn2024",
        "secret: `Hx9-vpn 2024`",
        "Token: \"#Hx9vpn2024\"",
        "password = 40918273",
        // a shell line goes on after its literal
        "export API_TOKEN=Hx9vpn2024Qz && ./deploy.sh",
        "DB_PASSWORD=BlueHorizon || exit 1",
        "[ \"$db_password\" == Hx!vpn2024 ] && echo ok",
        "secrete.assign(\"Qz7vK2pLm9Rw\", 12);",
        "tokenSecret = \"Qz7vK2pLm9Rw\"",
    ] {
        if !acts(&e, t) {
            wrong.push(t);
        }
    }
    assert!(wrong.is_empty(), "missed: {wrong:#?}");
}

#[test]
fn the_filter_and_the_reference_scan_agree_on_code() {
    let e = engine();
    for t in [
        "  x = { apiKey: userConf };",
        "\tconst token = args.token?.trim();",
        "PASSWORD=BlueHorizon\n",
        "tokenRank:7})})",
    ] {
        assert_eq!(e.scan_text(t), e.scan_text_naive(t), "{t}");
    }
}

/// `reads_as_code` on a text whose match is `name` and then the value
/// `value` (both found in `text`).
fn code(text: &str, name: &str, value: &str) -> bool {
    let start = text.find(name).unwrap_or(0);
    let vs = start + text[start..].find(value).unwrap_or(0);
    reads_as_code(text, start, vs, vs + value.len())
}

#[test]
fn references_chains_macros_and_patterns_are_code() {
    assert!(code("x = { apiKey: userConf }", "apiKey", "userConf"));
    assert!(code(
        "  resumeToken: lastSeenId,",
        "resumeToken",
        "lastSeenId"
    ));
    assert!(code("f(token: Matcher, i)", "token", "Matcher"));
    assert!(code("const token = fromEnv", "token", "fromEnv"));
    assert!(code(
        "let semi_token: Option<Token![;]>",
        "semi_token",
        "Option"
    ));
    assert!(code("a: &Self::Marker,", "a", "Marker"));
    assert!(code("fn f(tokens: &TokenTree)", "tokens", "&TokenTree)"));
    assert!(code("t = opts?.quietToken", "t", "opts?.quietToken"));
    assert!(code("k = reg.load?.()", "k", "reg.load?.()"));
    assert!(code("k = p.cfg?.[name]", "k", "p.cfg?.[name]"));
    assert!(code("b: Token![!] = x", "b", "Token![!]"));
    assert!(code("t = quote! {", "t", "quote!"));
    assert!(code("t=e.len&&e.x", "t", "e.len&&e.x"));
    assert!(code("K = /^[a-z]{4}$/u;", "K", "/^[a-z]{4}$/u"));
    assert!(code("k = a.b || c", "k", "a.b"));
    assert!(code("s:`Tunnel secret`", "s", "Tunnel"));
}

#[test]
fn literals_where_files_and_people_write_them_are_not_code() {
    assert!(!code("PASSWORD=BlueHorizon\n", "PASSWORD", "BlueHorizon"));
    assert!(!code(
        "  password: BlueHorizon\n",
        "password",
        "BlueHorizon"
    ));
    assert!(!code(
        "user: a, password: BlueHorizon, ok",
        "password",
        "BlueHorizon"
    ));
    assert!(!code("<pw>BlueHorizon</pw>", "<pw>", "BlueHorizon"));
    assert!(!code("s = \"Tunnel\"", "s", "Tunnel"));
    assert!(!code("s = \"Hx9 vpn\"", "s", "Hx9"));
    assert!(!code("k = /9j4AAQSkZJRg", "k", "/9j4AAQSkZJRg"));
    assert!(!code("k = Hx!vpn(2024)", "k", "Hx!vpn(2024)"));
    assert!(!code("k = Summer2024!", "k", "Summer2024!"));
    assert!(!code("k = m{{h}o)p${e]x", "k", "m{{h}o)p${e]x"));
}

#[test]
fn colours_versions_and_armour_are_other_data() {
    for v in [
        "#a1b2c3",
        "#fff",
        "#a1b2c3d4",
        "^1.4.2",
        "~2.0",
        "v3.1.4-rc.1",
        "x-api-key",
        "1.2.3",
        "-----BEGIN",
    ] {
        assert!(other_data(v), "{v}");
    }
    for v in [
        "#Hx9vpn2024",
        "#a1b2c",
        "v1.0-aaa334dc886f30631ba0a610",
        "1.2.3.4.5",
        "Hx9.vpn",
        "12345678",
    ] {
        assert!(!other_data(v), "{v}");
    }
}

#[test]
fn strings_in_a_list_are_not_a_name_and_its_value() {
    let at = |t: &str, w: &str| in_string_list(t.as_bytes(), t.find(w).unwrap_or(0));
    assert!(at("names = [\"ApiKey\", \"Gear\"]", "ApiKey"));
    assert!(at("x = [\"a\", \"AcmeApiKey\", \"Gear\"]", "ApiKey"));
    assert!(!at("os.Setenv(\"API_KEY\", \"Qz7\")", "API_KEY"));
    assert!(!at("f(conn, \"password\", \"Qz7\")", "password"));
}

#[test]
fn a_number_closing_a_bracket_is_the_value() {
    let j = |t: &str, v: &str| judged(t.as_bytes(), t.find(v).unwrap_or(0), v).to_string();
    assert_eq!(j("k:0})})", "0})})"), "0");
    assert_eq!(j("k: 40918273)", "40918273)"), "40918273");
    assert_eq!(j("k: 40918273", "40918273"), "40918273");
    assert_eq!(j("k: Hx9)", "Hx9)"), "Hx9)");
    // quoted, the closer is the password's
    assert_eq!(j("k: \"4091)x", "4091)x"), "4091)x");
}

/// Base64 padding ends a value; it is not a comparison (`==` needs an
/// operand after it), and the separators are looked for before it.
#[test]
fn padded_base64_values_are_secrets() {
    let e = engine();
    for t in [
        "secret=q7Zb3Ld9XkP2mWc8vT5nYh0sJr4GfE1u==",
        "API_SECRET=q7Zb3Ld9XkP2mWc8vT5nYh0s=",
        "export DB_PASSWORD=Hx9kTq2mLp4Vz=",
        "jwt_secret: Lq2ZsN8cYd1HfJ6gKe0PbW4tR7vXk3p9==\n",
    ] {
        assert!(acts(&e, t), "{t}");
    }
    for t in [
        "if (token==otherToken) retry()",
        "const same = apiKey == expectedKey;",
        "password=",
    ] {
        assert!(!acts(&e, t), "{t}");
    }
}
