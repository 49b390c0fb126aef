//! Connection faults: refused, reset before the request is read, reset after it is read, body cut off.
//! Reads are retried; a write whose request may have been sent fails with `OutcomeUnknown`, once.

use mews_connector_runtime::Error;

use super::ops::{AddThing, GetThing, client, id_of, thing};
use loopback::{Action, Server};

fn add() -> AddThing {
    AddThing {
        id: 7,
        names: vec!["a".into()],
    }
}

#[tokio::test]
async fn refused_connections_are_transport_errors_retried_for_reads_only() {
    // A port nobody listens on: bind it, note it, close it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    super::ops::trace_output();
    let client = mews_connector_runtime::ClientBuilder::new(
        mews_connector_runtime::Environment::Custom(url),
        super::ops::CLIENT_TOKEN,
        super::ops::ACCESS_TOKEN,
        "t",
    )
    .retry(super::ops::fast_retries())
    .build::<mews_connector_runtime::Client>()
    .expect("client");
    let read = client
        .send(&GetThing { id: 1 })
        .await
        .expect_err("nobody listens");
    assert!(
        matches!(
            read,
            Error::Transport {
                operation: "things/get",
                ..
            }
        ),
        "{read:?}"
    );
    let write = client.send(&add()).await.expect_err("nobody listens");
    assert!(
        matches!(
            write,
            Error::Transport {
                operation: "things/add",
                ..
            }
        ),
        "{write:?}"
    );
}

#[tokio::test]
async fn a_reset_before_the_request_is_read_is_retried_for_a_read() {
    let server = Server::with_connections(
        |connection| (connection == 0).then_some(Action::ResetBeforeRead),
        |r, _| Action::ok(thing(id_of(r))),
    )
    .await;
    let response = client(&server)
        .send(&GetThing { id: 3 })
        .await
        .expect("retried on a new connection");
    assert_eq!(response.id, 3);
    assert_eq!(server.connections(), 2);
    assert_eq!(
        server.request_count(),
        1,
        "only the second connection carried a request"
    );
}

#[tokio::test]
async fn a_reset_before_the_request_is_read_leaves_a_write_unknown_and_unsent() {
    let server = Server::with_connections(
        |_| Some(Action::ResetBeforeRead),
        |r, _| Action::ok(thing(id_of(r))),
    )
    .await;
    let error = client(&server).send(&add()).await.expect_err("reset");
    // The client wrote the request before the reset arrived, so it cannot know that the server
    // never read it: a write in that state is never resent.
    assert!(
        matches!(
            error,
            Error::OutcomeUnknown {
                operation: "things/add",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1, "not resent");
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_reset_after_the_request_is_read_is_retried_for_a_read() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::ResetAfterRead
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let response = client(&server)
        .send(&GetThing { id: 4 })
        .await
        .expect("retried");
    assert_eq!(response.id, 4);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_reset_after_a_write_was_read_is_outcome_unknown_and_not_resent() {
    let server = Server::start(|_, _| Action::ResetAfterRead).await;
    let error = client(&server).send(&add()).await.expect_err("reset");
    assert!(
        matches!(
            error,
            Error::OutcomeUnknown {
                operation: "things/add",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("outcome is unknown"), "{error}");
    assert_eq!(server.request_count(), 1, "the write was not resent");
}

#[tokio::test]
async fn reads_give_up_after_the_maximum_attempts() {
    let server = Server::start(|_, _| Action::ResetAfterRead).await;
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("always reset");
    assert!(matches!(error, Error::OutcomeUnknown { .. }), "{error:?}");
    assert_eq!(
        server.request_count(),
        3,
        "max_attempts is 3 in these tests"
    );
}

#[tokio::test]
async fn a_body_cut_off_mid_stream_is_retried_for_a_read_and_unknown_for_a_write() {
    let cut = || Action::CutBody {
        promised: 100,
        body: br#"{"Id":5,"Ki"#.to_vec(),
    };
    let server = Server::start(move |r, index| {
        if index == 0 {
            cut()
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    assert_eq!(
        client(&server)
            .send(&GetThing { id: 5 })
            .await
            .expect("retried")
            .id,
        5
    );
    assert_eq!(server.request_count(), 2);

    let server = Server::start(move |_, _| cut()).await;
    let error = client(&server).send(&add()).await.expect_err("cut off");
    assert!(matches!(error, Error::OutcomeUnknown { .. }), "{error:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn writes_are_retried_after_faults_when_the_caller_opts_in() {
    use mews_connector_runtime::CallOptions;
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::ResetAfterRead
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let client = client(&server);
    let response = client
        .send_with(&add(), &CallOptions::new().retry_unsafe())
        .await
        .expect("opted in");
    assert_eq!(response.id, 7);
    assert_eq!(server.request_count(), 2);

    let server = Server::start(|r, index| {
        if index == 0 {
            Action::ResetAfterRead
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let per_client = super::ops::builder(&server)
        .retry_unsafe(true)
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    assert_eq!(per_client.send(&add()).await.expect("opted in").id, 7);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_connect_timeout_is_a_transport_error_with_nothing_sent() {
    // A listener that never accepts, with its accept queue full: the kernel drops further SYNs, so
    // connecting hangs until the client's connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let address = socket.local_addr().expect("address");
    let listener = socket.listen(1).expect("listen");
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(stream)) = tokio::time::timeout(
            std::time::Duration::from_millis(200),
            tokio::net::TcpStream::connect(address),
        )
        .await
        {
            fillers.push(stream);
        }
    }
    super::ops::trace_output();
    let client = mews_connector_runtime::ClientBuilder::new(
        mews_connector_runtime::Environment::Custom(format!("http://{address}")),
        super::ops::CLIENT_TOKEN,
        super::ops::ACCESS_TOKEN,
        "t",
    )
    .retry(super::ops::fast_retries())
    .connect_timeout(std::time::Duration::from_millis(200))
    .build::<mews_connector_runtime::Client>()
    .expect("client");
    let started = std::time::Instant::now();
    let error = client.send(&add()).await.expect_err("cannot connect");
    let Error::Transport { operation, message } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "things/add");
    assert!(message.contains("connect"), "{message}");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= std::time::Duration::from_millis(200)
            && elapsed < std::time::Duration::from_secs(5),
        "{elapsed:?}"
    );
    drop((listener, fillers));
}
