// Uploads one file to the Attachment API with progress. XMLHttpRequest, because fetch cannot
// report upload progress. Same-origin, so the session cookie and the Origin header go with it.

export interface UploadProblem {
  status: number;
  message: string;
}

export function uploadAttachment(
  target: { table: string; sysId: string },
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const params = new URLSearchParams({
    table_name: target.table,
    table_sys_id: target.sysId,
    file_name: file.name,
  });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/now/attachment/file?${params}`);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else
        reject({
          status: xhr.status,
          message: messageOf(xhr.responseText, xhr.status),
        } satisfies UploadProblem);
    };
    xhr.onerror = () => reject({ status: 0, message: "The upload was interrupted" } satisfies UploadProblem);
    xhr.send(file);
  });
}

function messageOf(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string; detail?: string } };
    const { message, detail } = parsed.error ?? {};
    if (message) return detail ? `${message}: ${detail}` : message;
  } catch {
    // not JSON: fall through to the status
  }
  return `Upload failed (HTTP ${status})`;
}
