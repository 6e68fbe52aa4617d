// Reference tus server on S3, the benchmark peer of loadtests/bench-s3.sh: @tus/server with
// @tus/s3-store, store defaults (8 MiB preferred parts, up to 60 part uploads at a time) unless
// PART_SIZE is given.
//
// Environment:
//   PORT                 TCP port to listen on (required)
//   S3_ENDPOINT          S3 endpoint URL, e.g. http://127.0.0.1:7480 (required)
//   S3_BUCKET            bucket, must exist (required)
//   S3_ACCESS_KEY, S3_SECRET_KEY (required), S3_REGION (default us-east-1)
//   PART_SIZE            preferred part size in bytes (default: the store's, 8 MiB)
//   HOST                 listen address (default 127.0.0.1)
//
// Path-style addressing and WHEN_REQUIRED checksums, as Ceph RGW needs (the AWS SDK's default
// aws-chunked CRC32 trailer is refused by RGW with XAmzContentSHA256Mismatch).
// Prints "tus-s3-peer ready http://HOST:PORT/files/" once it is listening.

import http from 'node:http';
import process from 'node:process';
import { Server } from '@tus/server';
import { S3Store } from '@tus/s3-store';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`tus-s3-peer: ${name} must be set`);
    process.exit(2);
  }
  return value;
};

const port = Number.parseInt(required('PORT'), 10);
const host = process.env.HOST || '127.0.0.1';
const partSize = process.env.PART_SIZE ? Number.parseInt(process.env.PART_SIZE, 10) : undefined;
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('tus-s3-peer: PORT must be a valid TCP port');
  process.exit(2);
}

const store = new S3Store({
  partSize,
  // Tags are only needed for expiration, which the benchmark does not use.
  useTags: false,
  s3ClientConfig: {
    bucket: required('S3_BUCKET'),
    region: process.env.S3_REGION || 'us-east-1',
    endpoint: required('S3_ENDPOINT'),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: required('S3_ACCESS_KEY'), secretAccessKey: required('S3_SECRET_KEY') },
  },
});

const tus = new Server({ path: '/files', datastore: store });

const httpServer = http.createServer((req, res) => {
  tus.handle(req, res).catch((err) => {
    console.error('tus-s3-peer: unhandled error', err);
    if (!res.headersSent) {
      res.statusCode = 500;
    }
    res.end();
  });
});

httpServer.on('error', (err) => {
  console.error('tus-s3-peer: server error', err);
  process.exit(1);
});

httpServer.listen(port, host, () => {
  console.log(`tus-s3-peer ready http://${host}:${port}/files/`);
});

function shutdown(signal) {
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
  console.log(`tus-s3-peer: ${signal}, shutting down`);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
