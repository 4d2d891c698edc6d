#!/usr/bin/env bash
# Creates what a shared (S3) Pulumi state backend needs, idempotently, with the AWS CLI:
#  - an S3 bucket for state: versioning on, default encryption (SSE-KMS), public access blocked,
#    bucket-owner-enforced ownership, and a bucket policy that refuses non-TLS requests;
#  - a KMS key (rotation on) and alias for Pulumi's awskms:// secrets provider.
# Pulumi's S3 ("DIY") backend locks a stack with lock files in the bucket itself; it has no
# DynamoDB locking, so no table is created.
#
#   make bootstrap-backend BUCKET=<globally-unique-name> [AWS_REGION=us-east-1] [KEY_ALIAS=alias/proliferate-pulumi]
set -euo pipefail

die() { echo "error: $*" >&2; exit 1; }
command -v aws >/dev/null 2>&1 || die "the AWS CLI is not installed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
[ -n "${BUCKET:-}" ] || die "set BUCKET=<globally unique bucket name>, e.g. make bootstrap-backend BUCKET=acme-proliferate-pulumi-state"
REGION="${AWS_REGION:-us-east-1}"
KEY_ALIAS="${KEY_ALIAS:-alias/proliferate-pulumi}"
case "$KEY_ALIAS" in alias/*) ;; *) die "KEY_ALIAS must start with alias/ (got $KEY_ALIAS)";; esac

account="$(aws sts get-caller-identity --query Account --output text)" ||
    die "no working AWS credentials: run aws configure or aws sso login, then export AWS_PROFILE"

# Runs an AWS CLI look-up; prints its output. Exit 0: found; 3: a genuine not-found; anything else
# is an error that stops the script (access denied, throttling, a network failure): creating
# something because a look-up failed for another reason would make a second key or bucket.
lookup() {
    local err out
    err="$(mktemp)"
    if out="$(aws "$@" 2>"$err")"; then
        rm -f "$err"
        printf '%s' "$out"
        return 0
    fi
    if grep -qE 'NotFoundException|NoSuchBucket|\(404\)|Not Found' "$err"; then
        rm -f "$err"
        return 3
    fi
    echo "error: aws $1 $2 failed, and not with a not-found, so nothing more was created or changed:" >&2
    cat "$err" >&2
    rm -f "$err"
    exit 1
}

# Both look-ups come first, so an error in either stops the script before anything is created.
key_status=0
key_id="$(lookup kms describe-key --region "$REGION" --key-id "$KEY_ALIAS" --query KeyMetadata.KeyId --output text)" || key_status=$?
[ "$key_status" -eq 0 ] || [ "$key_status" -eq 3 ] || exit 1 # lookup said why
# Every bucket call names the expected owner (create-bucket has no such parameter), so a bucket of that name in another account is
# never configured (or written to) by mistake.
owner=(--expected-bucket-owner "$account")
bucket_status=0
lookup s3api head-bucket --bucket "$BUCKET" --region "$REGION" "${owner[@]}" >/dev/null || bucket_status=$?
[ "$bucket_status" -eq 0 ] || [ "$bucket_status" -eq 3 ] || exit 1

if [ "$key_status" -eq 3 ]; then
    key_id="$(aws kms create-key --region "$REGION" --description "Pulumi state secrets (proliferate)" --query KeyMetadata.KeyId --output text)"
    aws kms create-alias --region "$REGION" --alias-name "$KEY_ALIAS" --target-key-id "$key_id"
    echo "created KMS key $key_id ($KEY_ALIAS)"
else
    echo "KMS key $KEY_ALIAS exists ($key_id)"
fi
aws kms enable-key-rotation --region "$REGION" --key-id "$key_id"

if [ "$bucket_status" -eq 0 ]; then
    echo "bucket $BUCKET exists"
elif [ "$REGION" = "us-east-1" ]; then
    aws s3api create-bucket --bucket "$BUCKET" --region "$REGION" >/dev/null
    echo "created bucket $BUCKET"
else
    aws s3api create-bucket --bucket "$BUCKET" --region "$REGION" --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
    echo "created bucket $BUCKET"
fi
aws s3api put-bucket-ownership-controls --bucket "$BUCKET" --region "$REGION" "${owner[@]}" --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
aws s3api put-public-access-block --bucket "$BUCKET" --region "$REGION" "${owner[@]}" \
    --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-versioning --bucket "$BUCKET" --region "$REGION" "${owner[@]}" --versioning-configuration Status=Enabled
aws s3api put-bucket-encryption --bucket "$BUCKET" --region "$REGION" "${owner[@]}" --server-side-encryption-configuration \
    "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"$key_id\"},\"BucketKeyEnabled\":true}]}"
aws s3api put-bucket-policy --bucket "$BUCKET" --region "$REGION" "${owner[@]}" --policy \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::$BUCKET\",\"arn:aws:s3:::$BUCKET/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"

cat <<DONE

Backend ready. Use it for every layer of an environment (the same secrets provider for all of
them, so each layer can decrypt the secret outputs of the layers below):

  pulumi login 's3://$BUCKET?region=$REGION'
  export BACKEND='s3://$BUCKET?region=$REGION'
  export SECRETS_PROVIDER='awskms://$KEY_ALIAS?region=$REGION'
  make deploy-all STACK=dev
DONE
