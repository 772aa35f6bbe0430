#!/bin/sh
# Makes a CA and a serving certificate for Foresight's Services in foresight-system, next to this
# script: ca.crt, tls.crt (server certificate followed by the CA) and tls.key (PKCS#8).
# Needs openssl 1.1.1 or newer. Keep ca.key safe (or delete it: rotating then means a new CA).
set -eu
cd "$(dirname "$0")"
ns=foresight-system
days=${DAYS:-365}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
  -subj "/CN=foresight-ca" -keyout ca.key -out ca.crt \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=foresight" \
  -keyout tls.key.tmp -out tls.csr
cat > san.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:foresight-metrics-api.$ns.svc,DNS:foresight-metrics-api.$ns.svc.cluster.local,DNS:foresight-scaler.$ns.svc,DNS:foresight-scaler.$ns.svc.cluster.local
EXT
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" \
  -extfile san.ext -out server.crt
openssl pkcs8 -topk8 -nocrypt -in tls.key.tmp -out tls.key
cat server.crt ca.crt > tls.crt
rm -f tls.csr tls.key.tmp san.ext server.crt ca.srl
chmod 600 tls.key ca.key
echo "wrote $(pwd)/ca.crt tls.crt tls.key"
