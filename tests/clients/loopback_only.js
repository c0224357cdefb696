// Preloaded into the Zotero translation server and citeproc-js runs (`node --require`):
// every outgoing connection must go to the loopback interface, so a translator that tries
// to reach the internet fails at once instead of leaking a request or hanging a test.
"use strict";
const net = require("net");
const dns = require("dns");

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;

function refuse(host) {
	const err = new Error(`loopback_only: connection to ${host} refused (tests talk to 127.0.0.1 only)`);
	err.code = "ECONNREFUSED";
	return err;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
	let options = args[0];
	if (Array.isArray(options)) options = options[0];
	let host = "localhost";
	if (options && typeof options === "object") {
		if (options.path) return connect.apply(this, args); // a Unix socket
		host = options.host || "localhost";
	}
	else if (typeof options !== "object" && typeof args[1] === "string") {
		host = args[1];
	}
	if (!LOOPBACK.test(String(host))) {
		const err = refuse(host);
		process.nextTick(() => this.destroy(err));
		return this;
	}
	return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
	if (typeof options === "function") {
		callback = options;
		options = {};
	}
	if (!LOOPBACK.test(String(hostname))) {
		process.nextTick(() => callback(refuse(hostname)));
		return {};
	}
	return lookup.call(this, hostname, options, callback);
};
