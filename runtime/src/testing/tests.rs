//! Unit tests of the mock's answers, without a network: one operation, driven through `Mock::answer`.

use serde::{Deserialize, Serialize};

use super::*;
use crate::operation::Safety;
use crate::validate::{Validate, Validator};

#[derive(Clone, Serialize, Deserialize)]
struct GetAll {
    #[serde(rename = "Limitation")]
    limitation: Limitation,
}

#[derive(Clone, Serialize, Deserialize)]
struct Limitation {
    #[serde(rename = "Count")]
    count: u64,
    #[serde(rename = "Cursor", default)]
    cursor: Option<String>,
}

impl Validate for GetAll {
    fn validate(&self, _: &mut Validator) {}
}

impl Operation for GetAll {
    type Response = Json;
    const INFO: OperationInfo = OperationInfo {
        id: "things/getAll",
        path: "/api/connector/v1/things/getAll",
        safety: Safety::Safe,
        paginated: true,
    };
}

const PAGING: Paging = Paging {
    limitation: "Limitation",
    count: "Count",
    cursor: "Cursor",
    response_cursor: "Cursor",
    list: Some("Things"),
};
const EXAMPLE: &str = r#"{"Things":[{"Id":"x"}],"Others":[1],"Cursor":"x"}"#;
const PATH: &str = "/api/connector/v1/things/getAll";

fn mock() -> Mock {
    let route = Route::new::<GetAll>(Some(EXAMPLE), Some(PAGING));
    Mock {
        table: vec![route],
        routes: [(route.info.path, 0)].into_iter().collect(),
        state: Mutex::new(State::default()),
    }
}

fn body(count: Json, cursor: Option<&str>) -> Vec<u8> {
    serde_json::json!({
        "ClientToken": CLIENT_TOKEN,
        "AccessToken": ACCESS_TOKEN,
        "Client": CLIENT_NAME,
        "Limitation": { "Count": count, "Cursor": cursor },
    })
    .to_string()
    .into_bytes()
}

/// The status and JSON body of a reply.
fn reply(action: Action) -> (u16, Json) {
    match action {
        Action::Reply { status, body, .. } => (status, serde_json::from_slice(&body.0).unwrap()),
        other => panic!("not a reply: {other:?}"),
    }
}

#[test]
fn answers_the_example_and_records_the_request() {
    let mock = mock();
    let (status, json) = reply(mock.answer("POST", PATH, &body(10.into(), None), 0));
    assert_eq!(
        (status, json),
        (200, serde_json::from_str(EXAMPLE).unwrap())
    );
    let state = mock.state();
    assert_eq!((state.recorded.len(), state.rejected), (1, 0));
    assert_eq!(state.recorded[0].id, "things/getAll");
    assert_eq!(state.recorded[0].body["Limitation"]["Count"], 10);
}

#[test]
fn refuses_what_the_real_server_refuses_with_the_documented_error_body() {
    let mock = mock();
    let good = body(10.into(), None);
    let mut wrong_token: Json = serde_json::from_slice(&good).unwrap();
    wrong_token["AccessToken"] = "other".into();
    let mut no_client: Json = serde_json::from_slice(&good).unwrap();
    no_client.as_object_mut().unwrap().remove("Client");
    let cases: [(&str, &str, Vec<u8>, u16, &str); 7] = [
        ("GET", PATH, good.clone(), 404, "Use POST"),
        (
            "POST",
            "/api/connector/v1/nothing/get",
            good.clone(),
            404,
            "No operation",
        ),
        ("POST", PATH, b"{\"A\":1,}".to_vec(), 400, "Invalid JSON"),
        (
            "POST",
            PATH,
            wrong_token.to_string().into_bytes(),
            401,
            "Invalid AccessToken",
        ),
        (
            "POST",
            PATH,
            no_client.to_string().into_bytes(),
            401,
            "Invalid Client",
        ),
        (
            "POST",
            PATH,
            body("ten".into(), None),
            400,
            "Invalid request: `Limitation.Count`",
        ),
        (
            "POST",
            PATH,
            body(1001.into(), None),
            400,
            "Invalid Limitation.Count: 1001",
        ),
    ];
    for (index, (method, path, bytes, expected, message)) in cases.into_iter().enumerate() {
        let (status, json) = reply(mock.answer(method, path, &bytes, index));
        assert_eq!(status, expected, "{method} {path}: {json}");
        let text = json["Message"].as_str().unwrap();
        assert!(text.starts_with(message), "{text}");
        assert_eq!(json["RequestId"], format!("req-{index}"));
        assert!(json["Details"].is_null());
    }
    let state = mock.state();
    assert_eq!((state.recorded.len(), state.rejected), (0, 7));
}

#[test]
fn a_lenient_mock_takes_any_body_with_the_right_tokens() {
    let mock = mock();
    mock.state().lenient = true;
    assert_eq!(
        reply(mock.answer("POST", PATH, &body("ten".into(), None), 0)).0,
        200
    );
    let mut tokenless: Json = serde_json::from_slice(&body(1.into(), None)).unwrap();
    tokenless["ClientToken"] = Json::Null;
    assert_eq!(
        reply(mock.answer("POST", PATH, tokenless.to_string().as_bytes(), 1)).0,
        401
    );
}

#[test]
fn loaded_items_are_paged_with_a_cursor_on_every_page() {
    let mock = mock();
    mock.state().items.insert(
        PATH,
        (0..5).map(|i| serde_json::json!({ "Id": i })).collect(),
    );
    let mut cursor: Option<String> = None;
    let mut seen = Vec::new();
    for index in 0..3 {
        let (status, json) =
            reply(mock.answer("POST", PATH, &body(2.into(), cursor.as_deref()), index));
        assert_eq!(status, 200);
        assert_eq!(
            json["Others"],
            serde_json::json!([]),
            "the example's other lists are emptied"
        );
        seen.extend(
            json["Things"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["Id"].as_u64().unwrap()),
        );
        cursor = Some(json["Cursor"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    let (status, json) = reply(mock.answer("POST", PATH, &body(2.into(), cursor.as_deref()), 3));
    assert_eq!((status, json["Things"].as_array().unwrap().len()), (200, 0));
    assert_eq!(
        json["Cursor"].as_str(),
        cursor.as_deref(),
        "an empty page repeats the cursor"
    );
    let (status, json) = reply(mock.answer("POST", PATH, &body(2.into(), Some("nope")), 4));
    assert_eq!(
        (status, json["Message"].as_str()),
        (400, Some("Invalid Cursor: nope"))
    );
}

#[test]
fn queued_replies_come_first_then_the_standing_one_then_the_default() {
    let mock = mock();
    {
        let mut state = mock.state();
        state.queued.entry(PATH).or_default().extend([
            Reply::error(429, "Slow down").retry_after(2),
            Reply::json(201, &serde_json::json!({"A": 1})),
        ]);
        state
            .always
            .insert(PATH, Reply::ok(&serde_json::json!({"B": 2})));
    }
    let good = body(1.into(), None);
    match mock.answer("POST", PATH, &good, 0) {
        Action::Reply {
            status,
            headers,
            body,
        } => {
            assert_eq!(status, 429);
            assert!(headers.contains(&("Retry-After".to_string(), "2".to_string())));
            let json: Json = serde_json::from_slice(&body.0).unwrap();
            assert_eq!(json["Message"], "Slow down");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        reply(mock.answer("POST", PATH, &good, 1)),
        (201, serde_json::json!({"A": 1}))
    );
    assert_eq!(
        reply(mock.answer("POST", PATH, &good, 2)),
        (200, serde_json::json!({"B": 2}))
    );
    mock.state().always.clear();
    assert_eq!(reply(mock.answer("POST", PATH, &good, 3)).0, 200);
    assert_eq!(
        mock.state().recorded.len(),
        4,
        "overridden requests are recorded too"
    );
}

#[test]
fn faults_become_the_servers_misbehaviours() {
    let mock = mock();
    let good = body(1.into(), None);
    let faults = [
        Reply::drop_connection(),
        Reply::truncated(),
        Reply::example().delay(std::time::Duration::from_millis(3)),
    ];
    mock.state().queued.entry(PATH).or_default().extend(faults);
    assert!(matches!(
        mock.answer("POST", PATH, &good, 0),
        Action::ResetAfterRead
    ));
    match mock.answer("POST", PATH, &good, 1) {
        Action::CutBody { promised, body } => {
            assert_eq!((promised, body.len()), (EXAMPLE.len(), EXAMPLE.len() / 2));
            assert!(EXAMPLE.as_bytes().starts_with(&body));
        }
        other => panic!("{other:?}"),
    }
    match mock.answer("POST", PATH, &good, 2) {
        Action::Delay { after, then } => {
            assert_eq!(after, std::time::Duration::from_millis(3));
            assert_eq!(reply(*then).0, 200);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_a_limitation_where_it_is_optional_everything_is_one_page() {
    let mock = mock();
    mock.state().lenient = true;
    mock.state().items.insert(
        PATH,
        (0..3).map(|i| serde_json::json!({ "Id": i })).collect(),
    );
    let mut request: Json = serde_json::from_slice(&body(1.into(), None)).unwrap();
    request.as_object_mut().unwrap().remove("Limitation");
    let (status, json) = reply(mock.answer("POST", PATH, request.to_string().as_bytes(), 0));
    assert_eq!((status, json["Things"].as_array().unwrap().len()), (200, 3));
}

/// A generated crate's marker type, as `mock_routes.rs` emits one: the table and a client type of its own.
struct Things;

/// The generated crate's client, wrapping the runtime's.
struct ThingsClient(Client);

impl From<Client> for ThingsClient {
    fn from(client: Client) -> Self {
        ThingsClient(client)
    }
}

static ROUTES: &[Route] = &[Route::new::<GetAll>(Some(EXAMPLE), Some(PAGING))];

impl MockApi for Things {
    type Client = ThingsClient;

    fn routes() -> &'static [Route] {
        ROUTES
    }
}

#[tokio::test]
async fn an_api_mock_serves_its_table_and_hands_out_its_own_client() {
    let mock = ApiMockServer::<Things>::start().await;
    assert_eq!(mock.routes().len(), 1);
    let request = GetAll {
        limitation: Limitation {
            count: 10,
            cursor: None,
        },
    };
    let client: ThingsClient = mock.client();
    let answer = client.0.send(&request).await.unwrap();
    assert_eq!(answer, serde_json::from_str::<Json>(EXAMPLE).unwrap());
    let pool = mock.pool();
    let handle: ThingsClient = pool.for_enterprise(ACCESS_TOKEN);
    handle.0.send(&request).await.unwrap();
    // Everything else is the `MockServer` it dereferences to, and gives back.
    assert_eq!(mock.request_count::<GetAll>(), 2);
    let server: MockServer = mock.into_inner();
    assert_eq!(server.request_count::<GetAll>(), 2);
}
