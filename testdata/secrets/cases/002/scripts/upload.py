import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIAAVSRGNTI2CWJER7G",
    aws_secret_access_key="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",
    region_name="eu-west-1",
)
