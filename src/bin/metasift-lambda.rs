//! `metasift-lambda`: the AWS Lambda function (feature `lambda`). It reads its outputs
//! from the environment (see `metasift::lambda::config`), then serves invocations through
//! the Lambda Runtime API until the sandbox is shut down.

use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
use metasift::lambda::config::Config;
use metasift::lambda::outputs::Clients;
use metasift::lambda::{Handler, HandlerError};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            // Init errors are shown in the function's log and its invocation error.
            eprintln!("metasift-lambda: configuration: {e}");
            std::process::exit(2);
        }
    };
    let clients = Clients::from_env().await;
    // Objects are read with the reading client's timeouts and retries; the outputs use
    // the SDK's defaults.
    let reader = metasift::remote::s3_client_from_env().await;
    let handler = Handler::new(clients, config, metasift::Options::default()).with_read_client(reader);
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handler.handle(event.payload).await.map_err(diagnostic)
    }))
    .await
}

/// The error Lambda reports: its `errorType` says whether the payload was not understood
/// or an object is to be retried.
fn diagnostic(e: HandlerError) -> Diagnostic {
    let error_type = match e {
        HandlerError::Unrecognised(_) => "UnrecognisedInvocation",
        HandlerError::Retry(_) => "Retry",
    };
    Diagnostic { error_type: error_type.to_owned(), error_message: e.to_string() }
}
