# Varnish in front of the site's gunicorn processes (README, "Deploying"; DECISIONS.md, D19).
#
# The site says what may be kept: anonymous pages come with Cache-Control: public and
# s-maxage (60 s by default; 0 for pages whose views are counted, which Varnish then asks again
# with their ETag and gets a counted 304), and with a Surrogate-Key naming what they show.
# Each write makes the site send PURGE with one Surrogate-Key (CACHE_PURGE_URL pointing here):
# every object carrying that key is banned at once, so a correction is live on the next request.
# Requests with a session cookie (logged-in readers) are passed, as the site's own cache does.
# So are those of a client that wrote in the last seconds (primary_pin: it reads the primary
# database, not a replica that may lag; DECISIONS.md, D25).
# tests/deploy/test_varnish.py runs this file (with the backend's port changed) in front of
# gunicorn.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# who may purge: the site's own processes (add the web and worker hosts' addresses)
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.Surrogate-Key !~ "^[A-Za-z0-9_-]+$") {
            return (synth(400, "One Surrogate-Key needed"));
        }
        # the key as a word of the object's Surrogate-Key (no space in a ban's argument)
        ban("obj.http.Surrogate-Key ~ (^|[[:space:]])" + req.http.Surrogate-Key + "([[:space:]]|$)");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|; *)(sessionid|messages|primary_pin)=") {
        return (pass);
    }
    # other cookies (csrftoken) change nothing on an anonymous page
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # keep an object past its TTL to revalidate it with its ETag (the counted pages' 304s)
    set beresp.keep = 1h;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
