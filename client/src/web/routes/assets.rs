//! The embedded assets: nothing is fetched from anywhere else.

use actix_web::HttpResponse;

pub async fn style() -> HttpResponse {
    HttpResponse::Ok().content_type("text/css; charset=utf-8").body(include_str!("../assets/style.css"))
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok().content_type("text/javascript; charset=utf-8").body(include_str!("../assets/draft.js"))
}

pub async fn copy_script() -> HttpResponse {
    HttpResponse::Ok().content_type("text/javascript; charset=utf-8").body(include_str!("../assets/copy.js"))
}

pub async fn idle_script() -> HttpResponse {
    HttpResponse::Ok().content_type("text/javascript; charset=utf-8").body(include_str!("../assets/idle.js"))
}
